#include "datagen/gpkg_writer.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <mutex>

#include "io/gdal_handles.hpp"
#include "lifecircle/datagen.hpp"

namespace lifecircle::datagen {

namespace {

using io::GdalDatasetPtr;

OGRFieldType ogr_type(FieldType t) {
  switch (t) {
    case FieldType::integer:
      return OFTInteger64;
    case FieldType::real:
      return OFTReal;
    case FieldType::text:
      break;
  }
  return OFTString;
}

std::unique_ptr<OGRLinearRing> ring_of(const std::vector<LonLat>& ring) {
  auto r = std::make_unique<OGRLinearRing>();
  r->setNumPoints(static_cast<int>(ring.size()));
  for (std::size_t i = 0; i < ring.size(); ++i)
    r->setPoint(static_cast<int>(i), ring[i].lon, ring[i].lat);
  r->closeRings();
  return r;
}

}  // namespace

struct GpkgWriter::Impl {
  std::string path;
  GdalDatasetPtr ds;
  OGRSpatialReference wgs84;
};

GpkgWriter::GpkgWriter(const std::string& path) : impl_(std::make_unique<Impl>()) {
  io::ensure_gdal_registered();
  // gpkg_contents.last_change would otherwise be the wall clock: pin it for reproducibility.
  CPLSetConfigOption("OGR_CURRENT_DATE", "2026-01-01T00:00:00Z");
  impl_->path = path;
  std::error_code ec;
  std::filesystem::remove(path, ec);
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (drv == nullptr) throw BuildError("GDAL has no GPKG driver");
  impl_->ds.reset(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!impl_->ds) throw BuildError(path + ": cannot create GeoPackage: " + CPLGetLastErrorMsg());
  impl_->wgs84.importFromEPSG(4326);
  impl_->wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
}

GpkgWriter::~GpkgWriter() {
  try {
    close();
  } catch (...) {  // a destructor must not throw; close() explicitly to see the error
  }
}

void GpkgWriter::close() {
  if (!impl_->ds) return;
  impl_->ds->FlushCache(true);
  impl_->ds.reset();
}

void GpkgWriter::write_layer(const std::string& name, const std::string& description,
                             GeometryKind kind, const std::vector<FieldDef>& fields,
                             const std::vector<OutFeature>& features, bool spatial_index) {
  GDALDataset& ds = *impl_->ds;
  const OGRwkbGeometryType gtype = kind == GeometryKind::point          ? wkbPoint
                                   : kind == GeometryKind::multipolygon ? wkbMultiPolygon
                                                                        : wkbNone;
  const std::string desc = "DESCRIPTION=" + description;
  const char* options[] = {desc.c_str(), spatial_index ? "SPATIAL_INDEX=YES" : "SPATIAL_INDEX=NO",
                           nullptr};
  OGRLayer* layer =
      ds.CreateLayer(name.c_str(), kind == GeometryKind::none ? nullptr : &impl_->wgs84, gtype,
                     const_cast<char**>(options));
  if (layer == nullptr)
    throw BuildError(impl_->path + ": cannot create layer " + name + ": " + CPLGetLastErrorMsg());
  for (const auto& f : fields) {
    OGRFieldDefn def(f.name.c_str(), ogr_type(f.type));
    if (layer->CreateField(&def) != OGRERR_NONE)
      throw BuildError(impl_->path + ": layer " + name + ": cannot create field " + f.name);
  }
  if (ds.StartTransaction() != OGRERR_NONE)
    throw BuildError(impl_->path + ": cannot start a transaction");
  for (std::size_t i = 0; i < features.size(); ++i) {
    const OutFeature& in = features[i];
    io::OgrFeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    for (std::size_t k = 0; k < fields.size(); ++k) {
      const Value& v = in.values.at(k);
      const int idx = static_cast<int>(k);
      if (std::holds_alternative<std::string>(v)) {
        f->SetField(idx, std::get<std::string>(v).c_str());
      } else if (std::holds_alternative<long long>(v)) {
        f->SetField(idx, static_cast<GIntBig>(std::get<long long>(v)));
      } else if (std::holds_alternative<double>(v)) {
        f->SetField(idx, std::get<double>(v));
      } else {
        f->SetFieldNull(idx);
      }
    }
    if (kind == GeometryKind::point && in.point) {
      OGRPoint p(in.point->lon, in.point->lat);
      f->SetGeometry(&p);
    } else if (kind == GeometryKind::multipolygon && !in.polygons.empty()) {
      OGRMultiPolygon mp;
      for (const auto& poly : in.polygons) {
        OGRPolygon p;
        for (const auto& ring : poly.rings) p.addRingDirectly(ring_of(ring).release());
        mp.addGeometry(&p);
      }
      f->SetGeometry(&mp);
    }
    if (layer->CreateFeature(f.get()) != OGRERR_NONE)
      throw BuildError(impl_->path + ": layer " + name + ": cannot write feature " +
                       std::to_string(i) + ": " + CPLGetLastErrorMsg());
  }
  if (ds.CommitTransaction() != OGRERR_NONE)
    throw BuildError(impl_->path + ": layer " + name + ": commit failed: " + CPLGetLastErrorMsg());
}

}  // namespace lifecircle::datagen
